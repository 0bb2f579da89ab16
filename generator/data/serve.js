// `campaign-gen serve` only: added to every HTML page the server sends, never written into a pack.
// Asks the server for the version of the pack it shows (long polling: the answer comes when a build ends);
// on a new version the page reloads. The preview's filters and the scroll position are kept per page in
// sessionStorage, so they survive that reload, an error panel in between, and a reload by hand.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = Number(script.getAttribute("data-version"));
  var endpoint = script.getAttribute("data-endpoint");
  var key = "campaign-gen-serve:" + location.pathname.replace(/index\.html$/, "");
  var form = document.getElementById("filters");
  var isPack = !!form && !document.getElementById("campaign-gen-error");
  var restoring = isPack;  // until the page has its final height, a scroll event is ours, not the reader's
  var failures = 0;

  if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }

  function stored() {
    try { return JSON.parse(sessionStorage.getItem(key)) || null; } catch (err) { return null; }
  }

  function save() {
    if (!isPack || restoring) { return; }
    var filters = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name) { filters[element.name] = element.type === "checkbox" ? element.checked : element.value; }
    });
    try {
      sessionStorage.setItem(key, JSON.stringify({ x: window.scrollX, y: window.scrollY, filters: filters }));
    } catch (err) { /* storage full or disabled: nothing kept */ }
  }

  function setFilters(filters) {
    var changed = false;
    Object.keys(filters || {}).forEach(function (name) {
      var element = form.elements[name];
      var value = filters[name];
      if (!element || !element.name) { return; }
      if (element.type === "checkbox") {
        if (element.checked !== !!value) { element.checked = !!value; changed = true; }
      } else if (element.value !== value && (!element.options ||
                 Array.prototype.some.call(element.options, function (o) { return o.value === value; }))) {
        element.value = value;
        changed = true;
      }
    });
    if (changed) { form.dispatchEvent(new Event("change")); }  // preview.js applies them
  }

  function restore(final) {
    var state = stored();
    if (state && restoring) {
      setFilters(state.filters);
      window.scrollTo(state.x || 0, state.y || 0);
    }
    if (final) { restoring = false; save(); }
  }

  function poll() {
    fetch(endpoint + "?since=" + version, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        if (state.version !== version && !state.closing) {
          save();
          window.location.reload();
          return;
        }
        window.setTimeout(poll, state.closing ? 1000 : 0);
      })
      .catch(function () {  // the server is restarting or stopped: ask again, less and less often
        failures += 1;
        window.setTimeout(poll, Math.min(5000, 250 * failures));
      });
  }

  if (isPack) {
    form.addEventListener("change", save);
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) { return; }
      pending = true;
      window.setTimeout(function () { pending = false; save(); }, 100);
    }, { passive: true });
    ["wheel", "keydown", "mousedown", "touchstart"].forEach(function (name) {  // the reader scrolls: theirs now
      window.addEventListener(name, function () { if (restoring) { restoring = false; } }, { passive: true });
    });
    window.addEventListener("pagehide", save);
    restore(false);
    if (document.readyState === "complete") { restore(true); } else {
      window.addEventListener("load", function () { restore(true); });
    }
  }
  poll();
}());
