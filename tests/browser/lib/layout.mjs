// Checking a page's layout programmatically (issue 10, items 4 and 6): the page does not scroll
// sideways and no region is wider than the viewport; in the display's regions (the header, the
// stage and every panel), every element with text of its own
//   - lies inside its region and inside every box around it that clips (overflow hidden),
//   - is not cut: wider than its box (scrollWidth > clientWidth) only with an ellipsis,
//   - overlaps no other text (line boxes compared, so wrapped text is measured as laid out),
//   - is at least `minFontPx` tall (text read from the back of a room),
// and the progress bar and the temperature flames overlap no text (flames at least minFontPx).
// Resolves to a list of problems, each naming the element ([] when the layout holds).

export async function layoutProblems(page, { regions = '.top, .stage, .panel', minFontPx = 0 } = {}) {
  return page.evaluate(({ regions, minFontPx }) => {
    const problems = [];
    const shown = (e) => {
      if (e.closest('[hidden]')) return false;
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
    };
    const name = (e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${[...e.classList].map((c) => `.${c}`).join('')}` +
      ` "${(e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 48)}"`;
    const ownText = (e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const ellipsized = (e) => {
      const s = getComputedStyle(e);
      return s.textOverflow === 'ellipsis' && s.overflowX !== 'visible';
    };
    // A box that cuts what sticks out. A scroller (overflow auto or scroll: a wide table in its
    // card) shows the rest when scrolled, so what lies beyond its edge is not cut.
    const cuts = (overflow) => overflow === 'hidden' || overflow === 'clip';
    const clips = (e) => cuts(getComputedStyle(e).overflowX) || cuts(getComputedStyle(e).overflowY);
    const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
    const clip = (a, b) => new DOMRect(Math.max(a.left, b.left), Math.max(a.top, b.top),
      Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)), Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)));
    const meets = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const items = [];
    // The page never scrolls sideways: a region wider than the viewport has grown with its
    // content (what the checks inside a region cannot see, since it grew with them).
    const viewport = document.documentElement.clientWidth;
    const page = document.scrollingElement || document.documentElement;
    if (page.scrollWidth > viewport + 1) {
      // Name the outermost elements past the right edge: where the width comes from.
      const scrolled = (e) => {
        for (let up = e.parentElement; up; up = up.parentElement) {
          const overflow = getComputedStyle(up).overflowX;
          if (overflow === 'auto' || overflow === 'scroll') return true;
        }
        return false;
      };
      // The outermost elements that reach past the viewport's right edge (in page coordinates:
      // the page may be scrolled sideways already): where the width comes from.
      const right = (e) => e.getBoundingClientRect().right + window.scrollX;
      const wide = [...document.body.querySelectorAll('*')].filter((e) => !scrolled(e) && e.getBoundingClientRect().width > 0 &&
        right(e) > viewport + 1 && !(e.parentElement && right(e.parentElement) > viewport + 1));
      problems.push(`the page scrolls sideways: ${page.scrollWidth} px of content in a ${viewport} px viewport` +
        ` (past its edge: ${wide.slice(0, 3).map(name).join(', ') || 'nothing shown'})`);
    }
    for (const region of document.querySelectorAll(regions)) {
      if (!shown(region)) continue;
      const box = region.getBoundingClientRect();
      if (box.left < -1 || box.right > viewport + 1) {
        problems.push(`${name(region)} sticks out of the page (${Math.round(box.left)}..${Math.round(box.right)} px of ${viewport})`);
      }
      for (const e of region.querySelectorAll('*')) {
        const flame = e.matches('svg.flame');
        const bar = e.matches('.progress');
        if ((!ownText(e) && !flame && !bar) || !shown(e)) continue;
        // Where the text is: its own box when it is ellipsized, else its laid-out line boxes,
        // clipped by any ellipsized box around it (whose ellipsis says the rest is there).
        let rects;
        let extent;
        if (ellipsized(e) || flame || bar) {
          extent = e.getBoundingClientRect();
          rects = [extent];
        } else {
          const range = document.createRange();
          range.selectNodeContents(e);
          extent = range.getBoundingClientRect();
          rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        }
        for (let up = e.parentElement; up && up !== region.parentElement; up = up.parentElement) {
          if (ellipsized(up)) {
            const box = up.getBoundingClientRect();
            extent = clip(extent, box);
            rects = rects.map((r) => clip(r, box));
          } else if (clips(up) && !inside(extent, up.getBoundingClientRect())) {
            problems.push(`${name(e)} sticks out of ${up === region ? 'its panel' : 'the box around it'} ${name(up)}`);
          }
        }
        if (!ellipsized(e) && !flame && !bar && getComputedStyle(e).display !== 'inline' && e.scrollWidth > e.clientWidth + 1) {
          problems.push(`${name(e)} is cut (${e.scrollWidth} px of text in ${e.clientWidth} px) without an ellipsis`);
        }
        const size = flame ? e.getBoundingClientRect().height : parseFloat(getComputedStyle(e).fontSize);
        if (minFontPx && !bar && size < minFontPx - 0.5) problems.push(`${name(e)} is ${size.toFixed(1)} px, under ${minFontPx} px`);
        items.push({ e, rects: rects.filter((r) => r.width > 1 && r.height > 1), flame });
      }
    }
    for (let i = 0; i < items.length; i += 1) {
      for (let j = i + 1; j < items.length; j += 1) {
        const a = items[i];
        const b = items[j];
        if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
        if (a.flame && b.flame) continue;
        if (a.rects.some((ra) => b.rects.some((rb) => meets(ra, rb)))) problems.push(`${name(a.e)} overlaps ${name(b.e)}`);
      }
    }
    return problems;
  }, { regions, minFontPx });
}
