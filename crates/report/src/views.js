// The views beyond coverage (issue 24): each document's profile (how
// closely, how concretely and how fast it answered), and who copies whom
// beyond the national text, with the shared passages side by side. Data:
// D.profile and D.reuse (crates/report/src/views.rs); helpers from draw().
function analysesViews(D, h) {
  const { el, show, docButton, fmt, remember, marked, taskLabel, LEVELS, collator } = h;
  const P = D.profile, R = D.reuse;
  if (!P || !R) return { restore: () => false };
  const controls = document.querySelector("header .controls");
  const legend = document.getElementById("legend");
  controls.insertBefore(el("button", { class: "link", type: "button", id: "show-profile", text: "profiles", onclick: () => showProfiles() }), legend);
  controls.insertBefore(el("button", { class: "link", type: "button", id: "show-reuse", text: "who copies whom (" + R.pairs.length + " pairs)", onclick: () => showReuse() }), legend);
  const SHARES = ["fidelity", "copy share", "unit", "deadline", "quantity", "only restates", "must", "soft"];
  const USES = ["kept", "reworded", "omitted", "extended"];
  const pc = v => v === null || v === undefined ? "–" : (100 * v).toFixed(1);

  // Profiles: one row per document, sortable by any column.
  let profileSort = null;
  function showProfiles() {
    remember("profile");
    const cols = [["document", i => D.docs[i].label], ["level", i => D.docs[i].level || ""],
      ["province", i => D.docs[i].province || ""], ["issued", i => D.docs[i].issued || ""],
      ["lag (days)", i => P.docs[i][0]], ["items", i => P.docs[i][1]]];
    SHARES.forEach((name, k) => cols.push([name + " %", i => P.docs[i][2][k]]));
    USES.forEach((name, k) => cols.push([name, i => P.docs[i][3][k]]));
    const idx = D.docs.map((_, i) => i);
    if (profileSort !== null) {
      const [c, dir] = profileSort, f = cols[c][1];
      idx.sort((a, b) => {
        const x = f(a), y = f(b);
        if (x === null && y === null) return a - b;
        if (x === null) return 1;
        if (y === null) return -1;
        return dir * (typeof x === "string" ? collator.compare(x, y) : x - y) || a - b;
      });
    }
    const head = el("tr", null, ...cols.map((c, k) => el("th", { text: c[0], style: "cursor:pointer", title: "sort",
      onclick: () => { profileSort = [k, profileSort && profileSort[0] === k ? -profileSort[1] : -1]; showProfiles(); } })));
    const tb = el("tbody");
    for (const i of idx) {
      tb.append(el("tr", null, el("td", null, el("button", { class: "link", type: "button", text: D.docs[i].label, onclick: () => showProfile(i) })),
        ...cols.slice(1).map((c, k) => {
          const v = c[1](i);
          return el("td", { text: v === null || v === undefined ? "–" : k >= 5 && k < 5 + SHARES.length ? pc(v) : String(v) });
        })));
    }
    show(el("h2", { text: "document profiles" }),
      el("p", { class: "muted", text: "fidelity: share of the requirement text restating the national text; copy share: verbatim; unit, deadline, quantity: share of requirement items naming one; only restates: items mostly national text naming none of the three; must / soft: items binding (必须, 应当, 要…) / only encouraging or permitting (鼓励, 积极, 可以…); lag: days from the national document (" + (P.national_date || "date unknown") + ") to the document's issue date (profile.csv, docs/schema.md)." }),
      el("table", { class: "kv" }, el("thead", null, head), tb));
  }

  function showProfile(i) {
    remember("profile=" + i);
    const d = D.docs[i], p = P.docs[i];
    const kv = el("table", { class: "kv" });
    const row = (k, v) => kv.append(el("tr", null, el("th", { text: k }), el("td", { text: v === null || v === undefined ? "–" : String(v) })));
    row("response lag (days)", p[0]);
    row("requirement items", p[1]);
    SHARES.forEach((name, k) => row(name + " %", pc(p[2][k])));
    USES.forEach((name, k) => row(name, p[3][k]));
    const tb = el("tbody");
    for (const [t, n, fid, copy] of p[4]) tb.append(el("tr", null, el("td", { text: taskLabel(t) }), el("td", { text: String(n) }), el("td", { text: pc(fid) }), el("td", { text: pc(copy) })));
    show(el("h2", null, docButton(i), " — profile"), kv,
      el("h3", { text: "by task" }),
      el("table", { class: "kv" }, el("thead", null, el("tr", null, ...["task", "items", "fidelity %", "copy share %"].map(t => el("th", { text: t })))), tb));
  }

  // Who copies whom: documents sharing passages, ordered by province and
  // level; a cell is the share of the row's (the copy's) text found in the
  // column's.
  function rank(i) { const l = LEVELS.indexOf(D.docs[i].level); return l < 0 ? 99 : l; }
  function order(list) {
    return list.sort((a, b) => collator.compare(D.docs[a].province || "\uffff", D.docs[b].province || "\uffff") || rank(a) - rank(b) || collator.compare(D.docs[a].label, D.docs[b].label));
  }
  function showReuse() {
    remember("reuse");
    const out = [el("h2", { text: "who copies whom" }),
      el("p", { class: "muted", text: "passages two documents share beyond the national text (reuse.csv); the source is the document issued first, else the higher level within one province; ~ marks a pair whose direction the manifest cannot tell. Click a cell for the passages." })];
    if (R.pairs.length === 0) {
      out.push(el("p", { text: "No two documents share a passage beyond the national text." }));
      show(...out);
      return;
    }
    const involved = new Set();
    R.pairs.forEach(p => { involved.add(p[0]); involved.add(p[1]); });
    const docs = order([...involved]);
    if (docs.length <= 80) {
      const cell = new Map();
      R.pairs.forEach((p, k) => {
        const [a, b, src] = p;
        if (src === null) { cell.set(a + "," + b, [k, p[6], true]); cell.set(b + "," + a, [k, p[7], true]); }
        else { const t = src === a ? b : a; cell.set(t + "," + src, [k, t === a ? p[6] : p[7], false]); }
      });
      const max = Math.max(...[...cell.values()].map(c => c[1]), 1e-9);
      const head = el("tr", null, el("th", { text: "copy ↓ · source →" }), ...docs.map(j => el("th", { title: D.docs[j].label, text: String(docs.indexOf(j) + 1) })));
      const tb = el("tbody");
      docs.forEach((i, n) => {
        const tr = el("tr", null, el("th", { text: (n + 1) + " " + D.docs[i].label + " (" + [D.docs[i].province, D.docs[i].level].filter(x => x).join(", ") + ")" }));
        for (const j of docs) {
          const c = cell.get(i + "," + j);
          const td = el("td", { style: c ? "cursor:pointer;background:rgba(215,48,31," + (0.15 + 0.85 * c[1] / max).toFixed(2) + ")" : "" , text: c ? (c[2] ? "~" : "") + pc(c[1]) : "" });
          if (c) td.addEventListener("click", () => showPair(c[0]));
          tr.append(td);
        }
        tb.append(tr);
      });
      out.push(el("table", { class: "kv", id: "reuse-matrix" }, el("thead", null, head), tb));
    } else {
      const ks = R.pairs.map((_, k) => k).sort((x, y) => (R.pairs[y][4] + R.pairs[y][5]) - (R.pairs[x][4] + R.pairs[x][5]) || x - y);
      const tb = el("tbody");
      for (const k of ks.slice(0, 500)) {
        const [a, b, src, basis] = R.pairs[k];
        const t = src === null ? null : src === a ? b : a;
        tb.append(el("tr", null,
          el("td", null, el("button", { class: "link", type: "button", text: src === null ? D.docs[a].label + " ~ " + D.docs[b].label : D.docs[src].label + " → " + D.docs[t].label, onclick: () => showPair(k) })),
          el("td", { text: basis || "" }), el("td", { text: String(R.pairs[k][8].length) }), el("td", { text: pc(R.pairs[k][6]) + " / " + pc(R.pairs[k][7]) })));
      }
      out.push(el("p", { class: "muted", text: docs.length + " documents share passages: the " + Math.min(500, ks.length) + " pairs sharing most, of " + ks.length + "." }),
        el("table", { class: "kv" }, el("thead", null, el("tr", null, ...["pair", "by", "passages", "share of a / b %"].map(t => el("th", { text: t })))), tb));
    }
    show(...out);
  }

  function itemText(d, id) {
    const it = D.docs[d].items.find(x => x[0] === id);
    return it ? it[6] : "";
  }
  function showPair(k) {
    remember("pair=" + k);
    const [a, b, src, basis, ca, cb, sa, sb, passages] = R.pairs[k];
    const title = src === null ? [D.docs[a].label, " ~ ", D.docs[b].label] : src === a ? [D.docs[a].label, " → ", D.docs[b].label] : [D.docs[b].label, " → ", D.docs[a].label];
    const out = [el("h2", { text: title.join("") }),
      el("div", { class: "muted" }, docButton(a), " · ", docButton(b), " · " + passages.length + " passages · " + ca + " / " + cb + " characters (" + pc(sa) + "% / " + pc(sb) + "% of their requirement text)" + (basis ? " · direction by " + basis : " · direction unknown"))];
    for (const [pa, pb, chars, sim, ba, bb] of passages) {
      out.push(el("div", { class: "item" },
        el("div", { class: "muted", text: chars + " characters beyond the national text · similarity " + fmt(sim) }),
        el("div", { class: "pair" },
          el("div", null, el("span", { class: "cap", text: D.docs[a].label + " · item " + pa[0] + " · " + ba }), marked(itemText(a, pa[0]), pa[1], pa[2])),
          el("div", null, el("span", { class: "cap", text: D.docs[b].label + " · item " + pb[0] + " · " + bb }), marked(itemText(b, pb[0]), pb[1], pb[2])))));
    }
    show(...out);
  }

  function restore(hash) {
    let m;
    if (hash === "#profile") { showProfiles(); return true; }
    if ((m = /^#profile=(\d+)$/.exec(hash)) && +m[1] < D.docs.length) { showProfile(+m[1]); return true; }
    if (hash === "#reuse") { showReuse(); return true; }
    if ((m = /^#pair=(\d+)$/.exec(hash)) && +m[1] < R.pairs.length) { showPair(+m[1]); return true; }
    return false;
  }
  return { restore };
}
