// Keyboard access to the boxes that scroll sideways: display formulas, code blocks and tables.
// The renderer makes every one of them focusable (tabindex="0"), so a keyboard can scroll the ones
// wider than the column (a phone, a page zoomed in); without this script that is where it stays.
// This script takes the ones that fit out of the tab order, and puts them back when they stop
// fitting (a narrower window, a larger font, KaTeX's fonts arriving), so Tab stops only where there
// is something to scroll. A box is judged only once it is laid out: the post's blocks far from the
// viewport are skipped by `content-visibility: auto` (their width unknown), and keep their tab stop
// until they come near. A box that has the focus keeps it; it is judged again when it loses it. Boxes
// put in after the page loaded (the comment preview, a comment edited in place) are judged the same way.
;(function () {
  if (!window.ResizeObserver || !window.MutationObserver || !Element.prototype.checkVisibility) return
  var BOXES = '.math-display[tabindex="0"], pre[tabindex="0"], table[tabindex="0"]'
  var boxes = []

  function judge(box) {
    if (box === document.activeElement) return
    // Skipped contents (an off-screen block) have no layout: nothing to measure yet.
    var inside = box.firstElementChild || box
    if (!inside.checkVisibility({ contentVisibilityAuto: true })) return
    if (box.scrollWidth > box.clientWidth) box.setAttribute('tabindex', '0')
    else box.removeAttribute('tabindex')
  }

  // Called for every box once when observed, and again whenever its size changes (the window's width,
  // its contents laid out for the first time).
  var resized = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      judge(entry.target)
    })
  })
  function add(box) {
    boxes.push(box)
    resized.observe(box)
    box.addEventListener('focusout', function () {
      judge(box)
    })
  }
  function addWithin(node) {
    if (node.nodeType !== 1) return
    if (node.matches(BOXES)) add(node)
    else Array.prototype.forEach.call(node.querySelectorAll(BOXES), add)
  }
  addWithin(document.body)
  // HTML put in later (comments.js: the comment preview, a comment edited in place).
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      Array.prototype.forEach.call(record.addedNodes, addWithin)
    })
  }).observe(document.body, { childList: true, subtree: true })
  // A block whose contents stop being skipped (it came near the viewport): judge the boxes it holds.
  document.addEventListener(
    'contentvisibilityautostatechange',
    function (event) {
      if (event.skipped) return
      var block = event.target
      boxes.forEach(function (box) {
        if (block === box || block.contains(box)) judge(box)
      })
    },
    true,
  )
  // A web font changes a formula's width without changing its box.
  if (document.fonts)
    document.fonts.addEventListener('loadingdone', function () {
      boxes.forEach(judge)
    })
})()
