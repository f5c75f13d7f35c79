// The app shell (index.html) in the reader's language and with the office's name, both as the
// app last stored them, so the first paint already looks like the app.
(function () {
  function pref(key) {
    try { return JSON.parse(localStorage.getItem('reform-registry.' + key) || 'null'); } catch (e) { return null; }
  }
  var en = pref('lang') === 'En';
  var office = pref('office');
  if (en) {
    document.documentElement.lang = 'en';
    document.title = 'Reform Registry';
    var title = document.getElementById('boot-title');
    if (title) title.textContent = 'Reform Registry';
    var h1 = document.getElementById('boot-h1');
    if (h1) h1.textContent = 'Reform Registry';
    var status = document.getElementById('boot-status');
    if (status) status.textContent = 'Loading…';
  }
  var el = document.getElementById('boot-office');
  if (el && typeof office === 'string' && office) el.textContent = office;
  else if (el) el.remove();
})();

// Offline after the first visit: the service worker keeps a copy of the app. When a new version
// takes over an open page, a bar says so and offers to reload (the page keeps running the old
// version until then).
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  // The first worker taking over a first visit is no news; any later one is a new version.
  var controlled = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', function () {
    var first = !controlled;
    controlled = true;
    if (first || document.getElementById('update-ready')) return;
    var en = document.documentElement.lang === 'en';
    var bar = document.createElement('div');
    bar.id = 'update-ready';
    bar.className = 'update-ready no-print';
    bar.setAttribute('role', 'status');
    bar.textContent = en ? 'A new version of the Reform Registry is ready. ' : '改革台账已有新版本。';
    var btn = document.createElement('button');
    btn.className = 'primary';
    btn.textContent = en ? 'Reload to use it' : '刷新页面使用新版本';
    btn.addEventListener('click', function () { location.reload(); });
    bar.appendChild(btn);
    document.body.appendChild(bar);
  });
  navigator.serviceWorker.register('sw.js').catch(function () {});
}
