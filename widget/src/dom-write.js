// DOM writes that happen only when the value changes. Live training shows many snapshots a
// second; rewriting the same text or attribute still replaces nodes or notifies observers
// and invalidates style and layout in that frame, so unchanged values are left alone.

export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

// value null removes the attribute.
export function setAttr(el, name, value) {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value);
  }
}

// The hidden property reflects an attribute: setting it, even to its value, is a write.
export function setHidden(el, hidden) {
  if (el.hidden !== hidden) el.hidden = hidden;
}
