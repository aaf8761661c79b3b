// The page's script, served as /page/page.js. Without it the page is a complete static snapshot.
// With it: the view follows the agent's state through server-sent events (one stream per page,
// no polling), relative times stay current, and arrow keys move between the grid's cells.
export const PAGE_JS = `'use strict';
(function () {
  var body = document.body;
  var status = document.getElementById('live-status');
  function fmt(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return s + 's';
    var m = Math.floor(s / 60);
    if (m < 60) return m + 'm';
    var h = Math.floor(m / 60);
    if (h < 48) return h + 'h ' + (m % 60) + 'm';
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll('time[data-rel]').forEach(function (t) {
      var d = now - Date.parse(t.getAttribute('datetime'));
      t.textContent = t.getAttribute('data-rel') === 'for' ? 'for ' + fmt(d) : d >= 0 ? fmt(d) + ' ago' : 'in ' + fmt(-d);
    });
  }
  setInterval(tick, 10000);
  // The cell a status link points at (#cell-…) stays marked after live updates replace it.
  function markTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    document.querySelectorAll('[data-target]').forEach(function (el) { el.removeAttribute('data-target'); });
    var el = id && document.getElementById(id);
    if (el) el.setAttribute('data-target', '');
  }
  markTarget();
  window.addEventListener('hashchange', markTarget);

  // Arrow keys move between cells of the grid (Tab still walks every link).
  document.addEventListener('keydown', function (e) {
    if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].indexOf(e.key) < 0) return;
    var a = document.activeElement;
    if (!a || !a.closest || !a.closest('.cell-name')) return;
    var links = Array.prototype.slice.call(document.querySelectorAll('.cell-name a'));
    var i = links.indexOf(a);
    var rows = Array.prototype.slice.call(document.querySelectorAll('table.grid > tbody > tr'));
    var row = a.closest('tr');
    var next;
    if (e.key === 'ArrowLeft') next = links[i - 1];
    if (e.key === 'ArrowRight') next = links[i + 1];
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      var r = rows[rows.indexOf(row) + (e.key === 'ArrowUp' ? -1 : 1)];
      next = r && r.querySelector('.cell-name a');
    }
    if (next) { e.preventDefault(); next.focus(); }
  });

  var src = body.getAttribute('data-live');
  if (!src || !window.EventSource) return;
  var main = document.getElementById('main');
  function focusKey() {
    var a = document.activeElement;
    if (!a || a === body || !main.contains(a)) return null;
    return { id: a.id || null, href: a.getAttribute && a.getAttribute('href') };
  }
  function restore(key) {
    if (!key) return;
    var el = key.id ? document.getElementById(key.id) : null;
    if (!el && key.href) el = main.querySelector('a[href="' + key.href.replace(/"/g, '\\\\"') + '"]');
    if (el) el.focus();
  }
  var es = new EventSource(src);
  es.addEventListener('open', function () { if (status) status.textContent = 'Live: updates as the agent sees them.'; body.setAttribute('data-live-state', 'open'); });
  es.addEventListener('error', function () { if (status) status.textContent = 'Live updates interrupted; reconnecting.'; body.setAttribute('data-live-state', 'reconnecting'); });
  es.addEventListener('update', function (e) {
    var doc = new DOMParser().parseFromString('<main>' + e.data + '</main>', 'text/html');
    var next = doc.querySelector('main');
    if (!next) return;
    var key = focusKey();
    var opened = {};
    main.querySelectorAll('details[id]').forEach(function (d) { opened[d.id] = d.open; });
    main.replaceChildren.apply(main, Array.prototype.slice.call(next.childNodes));
    main.querySelectorAll('details[id]').forEach(function (d) { if (d.id in opened) d.open = opened[d.id]; });
    restore(key);
    markTarget();
    tick();
    var at = document.getElementById('rendered-at');
    if (at) at.textContent = new Date().toISOString();
    body.setAttribute('data-updates', String(Number(body.getAttribute('data-updates') || '0') + 1));
  });
})();
`;
