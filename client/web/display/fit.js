// Filling the room display's panels without cutting anything (docs/display.md): a list shows
// the items that fit and counts the others ("+3 more"); the stage's big text scales down until
// it fits its box. Everything is measured in the page as laid out, so it holds at 16:9 and 4:3,
// in every language and with long names.

// True when `box` (whose overflow is hidden) holds more than it shows: below its bottom, or
// (unless `across` is false) beyond its side.
export function overflows(box, { across = true } = {}) {
  return box.scrollHeight > box.clientHeight + 1 || (across && box.scrollWidth > box.clientWidth + 1);
}

// Removes items from the end of `list` while `box` (the list or a panel around it) overflows
// below its bottom (items wrap or ellipsize across; one sliding in is not too many), keeping at
// least `keep`. With `more(count)`, the items removed are counted in a last item it
// makes. Returns how many were removed.
export function fitList(list, box, { more = null, keep = 0 } = {}) {
  let removed = 0;
  let moreItem = null;
  const items = () => [...list.children].filter((child) => child !== moreItem);
  while (overflows(box, { across: false }) && items().length > keep) {
    items().at(-1).remove();
    removed += 1;
    if (more) {
      const next = more(removed);
      if (moreItem) moreItem.replaceWith(next);
      else list.appendChild(next);
      moreItem = next;
    }
  }
  return removed;
}

// Sets the CSS variable --fit of `box` to the largest scale from `min` to 1 (in steps of 5 %) at
// which neither the box nor any of its shown children that clip (overflow hidden) overflows; `min`
// when none fits. A binary search: at most 5 layouts, since this runs on the live path.
export function fitScale(box, min = 0.5) {
  const clips = (child) => getComputedStyle(child).overflowY !== 'visible';
  const fitsAt = (scale) => {
    box.style.setProperty('--fit', scale.toFixed(2));
    return !overflows(box) && [...box.children].every((child) => child.hidden || !clips(child) || !overflows(child));
  };
  if (fitsAt(1)) return 1;
  let low = Math.round(min * 20); // in steps of 5 %: fitting is assumed at low, not at high
  let high = 20;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fitsAt(mid / 20)) low = mid;
    else high = mid;
  }
  fitsAt(low / 20);
  return low / 20;
}
