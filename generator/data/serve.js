// `campaign-gen serve` only: added to every HTML page the server sends, never written into a pack.
// Asks the server for the version of the pack it shows (long polling: the answer comes when a build ends).
// On a new version a pack page fetches the new page and replaces, in place, only the elements that differ (a
// week's page holds hundreds of posts and an edit changes a few: a reload would lay out all of them again,
// about a second, where this takes a tenth of that); the scroll position, the filters and the cards already
// loaded stay as they are. Whatever it cannot follow in place (the error panel, other filter choices, other
// styles or scripts) reloads the page instead. The filters and the scroll position are kept per page in
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
  // The elements whose children are compared one by one; any other element that differs is replaced whole.
  var CONTAINERS = "body, header.page-header, main, section.day, section.day > div.posts";

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

  function reload() {
    save();
    window.location.reload();
  }

  // -- the new version in place ----------------------------------------------------------------------------
  // The same element in both versions: same tag, same id, same label (the days' sections have no id).
  function sameSlot(a, b) {
    return a.tagName === b.tagName && a.id === b.id &&
      a.getAttribute("aria-labelledby") === b.getAttribute("aria-labelledby");
  }

  function sameAttributes(a, b) {
    if (a.attributes.length !== b.attributes.length) { return false; }
    return Array.prototype.every.call(a.attributes, function (attribute) {
      return b.getAttribute(attribute.name) === attribute.value;
    });
  }

  // The filters keep their element (preview.js and this script listen to it) and the reader's choices: the
  // page is patched only while the choices on offer are the same ones.
  function sameControls(a, b) {
    var ours = a.querySelectorAll("select, input");
    var theirs = b.querySelectorAll("select, input");
    return ours.length === theirs.length && Array.prototype.every.call(ours, function (control, index) {
      return control.isEqualNode(theirs[index]);
    });
  }

  // Makes `old`'s children those of `fresh` (an element of the fetched page); false when only a reload can.
  function patch(old, fresh) {
    var olds = Array.prototype.slice.call(old.children);
    var news = Array.prototype.slice.call(fresh.children);
    var same = olds.length === news.length && olds.every(function (a, index) { return sameSlot(a, news[index]); });
    if (!same) {
      if (old.contains(form) || old === document.body) { return false; }
      old.replaceChildren.apply(old, news.map(function (b) { return document.adoptNode(b); }));
      return true;
    }
    for (var index = 0; index < olds.length; index += 1) {
      var a = olds[index];
      var b = news[index];
      if (a.id === "campaign-gen-serve") { continue; }  // this script: its version differs, and is ours
      if (a === form) {
        if (!sameControls(a, b)) { return false; }
        continue;
      }
      b.hidden = a.hidden;  // as filtered now: preview.js applies the filters again once the page is patched
      if (a.isEqualNode(b)) { continue; }
      if (a.tagName === "SCRIPT" || a.tagName === "STYLE") { return false; }
      if (a.matches(CONTAINERS) && sameAttributes(a, b)) {
        if (!patch(a, b)) { return false; }
      } else {
        a.replaceWith(document.adoptNode(b));
      }
    }
    return true;
  }

  // Patches this page with the page as it is now (`text`); false when only a reload can show it.
  function show(text) {
    var fresh = new DOMParser().parseFromString(text, "text/html");
    var tag = fresh.getElementById("campaign-gen-serve");
    if (!tag || !fresh.getElementById("filters") || fresh.getElementById("campaign-gen-error") ||
        !document.head.isEqualNode(fresh.head)) {
      return false;
    }
    var x = window.scrollX;
    var y = window.scrollY;
    if (!patch(document.body, fresh.body)) { return false; }
    version = Number(tag.getAttribute("data-version"));
    form.dispatchEvent(new Event("change"));  // preview.js filters the new posts; the count follows
    window.scrollTo(x, y);  // where the reader was, even if posts above grew or shrank
    save();
    return true;
  }

  // Fetches the page and shows it in place (a reload when that cannot be done); a failed fetch is a failed poll.
  function update() {
    return fetch(location.pathname, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (text) {
        var shown = false;
        try { shown = show(text); } catch (err) { shown = false; }  // half patched, say: the reload mends it
        if (shown) { window.setTimeout(poll, 0); } else { reload(); }
      });
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
          if (isPack && state.ok) { return update(); }
          reload();
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
