// Building the panels' DOM without markup strings (the widget's strict-CSP rule: createElement,
// no innerHTML, no style attributes).

// el("p", {class: "x", text: "…", attrs: {role: "status"}}, child, …)
export function el(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [k, v] of Object.entries(options.attrs || {})) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

let counter = 0;
// A document-unique id for aria-controls / aria-labelledby inside one shadow root.
export function uid(prefix) {
  counter += 1;
  return `${prefix}${counter}`;
}

// A <table> with a header row; rows: arrays of cells (a string or a Node).
export function table(headers, rows, caption) {
  const t = el("table", { class: "bp-table" });
  if (caption) t.append(el("caption", { text: caption }));
  const head = el("tr", {}, ...headers.map((h) => el("th", { text: h, attrs: { scope: "col" } })));
  t.append(el("thead", {}, head));
  const body = el("tbody");
  for (const row of rows) {
    const tr = el("tr");
    for (const cell of row.cells || row) tr.append(cell instanceof Node ? el("td", {}, cell) : el("td", { text: cell }));
    if (row.className) tr.className = row.className;
    body.append(tr);
  }
  t.append(body);
  return t;
}
