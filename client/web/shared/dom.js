// Building the page from server data without innerHTML: every string becomes a text node.

// h('li', {class: 'x', dataset: {name}, attrs: {'aria-label': 'y'}, on: {click}}, 'text', child)
export function h(tag, props, ...children) {
  const element = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') {
        element.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
      } else if (key === 'text') {
        element.textContent = String(value);
      } else if (key === 'dataset') {
        for (const [name, v] of Object.entries(value)) {
          if (v !== undefined && v !== null) element.dataset[name] = String(v);
        }
      } else if (key === 'attrs') {
        for (const [name, v] of Object.entries(value)) {
          if (v !== undefined && v !== null && v !== false) element.setAttribute(name, v === true ? '' : String(v));
        }
      } else if (key === 'on') {
        for (const [name, handler] of Object.entries(value)) element.addEventListener(name, handler);
      } else {
        element[key] = value;
      }
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else if (child instanceof Node) element.appendChild(child);
    else element.appendChild(document.createTextNode(String(child)));
  }
}

export function replaceChildren(element, ...children) {
  element.textContent = '';
  append(element, children);
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing element #${id}`);
  return element;
}

export function setText(element, text) {
  const value = text === undefined || text === null ? '' : String(text);
  if (element.textContent !== value) element.textContent = value;
}

// Calls fn at most once per `ms`, after the last call (trailing debounce).
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
}

// A small flame, for referral temperature (filled when `on`).
export function flame(on) {
  const svg = h('svg:svg', { attrs: { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' } });
  svg.setAttribute('class', on ? 'flame on' : 'flame');
  svg.appendChild(h('svg:path', {
    attrs: {
      d: 'M12 1.5c.9 3.6 5.6 6.4 5.6 12.1A5.6 5.6 0 0 1 6.4 13.6c0-2.6 1.2-4.5 2.7-5.8.1 1.9 1 3.2 2.4 3.8-.4-3.4-.2-6.6.5-10.1z',
    },
  }));
  return svg;
}

// Temperature as five flames, with a text label for screen readers.
export function temperatureFlames(temperature, label) {
  const t = Math.max(0, Math.min(5, Number(temperature) || 0));
  const wrap = h('span', { class: 'temperature', attrs: { role: 'img', 'aria-label': label } });
  for (let i = 1; i <= 5; i += 1) wrap.appendChild(flame(i <= t));
  return wrap;
}
