// The reader's colour theme: light, dark or the system's (prefers-color-scheme, the default).
// Loaded in <head> without defer, so the stored choice is on <html> before the first paint; the
// page's CSP allows no inline script. Also runs the header's toggle (rendered hidden: without
// JavaScript there is no dead button, and the CSS media query still follows the system).
;(function () {
  var KEY = 'theme'
  var root = document.documentElement
  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null

  function stored() {
    try {
      var v = localStorage.getItem(KEY)
      return v === 'light' || v === 'dark' ? v : 'system'
    } catch (e) {
      return 'system'
    }
  }

  function apply(mode) {
    if (mode === 'system') root.removeAttribute('data-theme')
    else root.setAttribute('data-theme', mode)
  }

  var current = stored()
  apply(current)

  function setUp() {
    var button = document.querySelector('[data-theme-toggle]')
    if (!button) return
    function show(mode) {
      button.textContent = button.getAttribute('data-label-' + mode)
      button.setAttribute('data-mode', mode)
    }
    show(current)
    button.hidden = false
    button.addEventListener('click', function () {
      var systemDark = !!(dark && dark.matches)
      var other = systemDark ? 'light' : 'dark'
      var same = systemDark ? 'dark' : 'light'
      // From the system's look to the other look, then to the system's look chosen, then back to the system.
      var next = current === 'system' ? other : current === other ? same : 'system'
      current = next
      try {
        if (next === 'system') localStorage.removeItem(KEY)
        else localStorage.setItem(KEY, next)
      } catch (e) {
        // Storage off: the choice lasts for this page only.
      }
      apply(next)
      show(next)
    })
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setUp)
  else setUp()
})()
