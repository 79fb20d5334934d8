// A post page reached with the browser's back or forward button may be an old copy: restored from
// the back/forward cache (pageshow with persisted) or re-read from the HTTP cache (navigation type
// "back_forward"); either shows the count of its first load. This refreshes it from
// GET /api/posts/:id/views, which counts nothing. Optional: without it the page is simply the copy
// the browser kept. (CSP: script-src 'self'.)
addEventListener('pageshow', async (event) => {
  const nav = performance.getEntriesByType('navigation')[0]
  if (!event.persisted && nav?.type !== 'back_forward') return
  const el = document.querySelector('.post-views[data-post-id]')
  if (!el) return
  try {
    const res = await fetch('/api/posts/' + encodeURIComponent(el.dataset.postId) + '/views', { cache: 'no-store' })
    if (res.ok) el.textContent = (await res.json()).label
  } catch {
    // Offline: keep the count shown.
  }
})
