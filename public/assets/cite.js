// Copy buttons of a post's citation block (#cite). Loaded only on post pages (CSP: script-src 'self').
// The buttons are rendered with `hidden`: without JavaScript the citations stay plain, selectable text.
;(() => {
  'use strict'
  const block = document.getElementById('cite')
  if (!block) return

  const RESET_MS = 2000

  /** Selects the element's text, so the reader can copy it with the keyboard. */
  const select = (el) => {
    const selection = window.getSelection()
    if (!selection) return
    const range = document.createRange()
    range.selectNodeContents(el)
    selection.removeAllRanges()
    selection.addRange(range)
  }

  /** Copies with the Clipboard API; where it is missing or refused, selects the text and tries the old command. */
  const copy = async (el) => {
    const text = el.textContent || ''
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text)
        return true
      } catch {
        // Refused (permissions, no user activation): fall back to the selection below.
      }
    }
    select(el)
    try {
      return document.execCommand('copy')
    } catch {
      return false
    }
  }

  for (const button of block.querySelectorAll('button[data-cite-copy]')) {
    const target = block.querySelector('pre.' + button.dataset.citeCopy)
    if (!target) continue
    const label = button.textContent
    const ariaLabel = button.getAttribute('aria-label')
    let timer = 0
    const show = (text) => {
      button.textContent = text
      if (ariaLabel !== null) button.setAttribute('aria-label', text)
      window.clearTimeout(timer)
      timer = window.setTimeout(() => {
        button.textContent = label
        if (ariaLabel !== null) button.setAttribute('aria-label', ariaLabel)
      }, RESET_MS)
    }
    button.addEventListener('click', async () => {
      const ok = await copy(target)
      button.dataset.state = ok ? 'copied' : 'failed'
      show(ok ? button.dataset.copied || label : button.dataset.failed || label)
    })
    button.hidden = false
  }
})()
