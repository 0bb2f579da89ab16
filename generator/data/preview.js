// Filters for the preview: by platform, by language, and "only posts with problems". Works offline, no libraries.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var shown = document.getElementById("shown");

  function apply() {
    var platform = form.elements.platform.value;
    var language = form.elements.language.value;
    var onlyProblems = form.elements.problems.checked;
    var count = 0;
    // The posts of the page now: `campaign-gen serve` replaces the ones a rebuild changed, then asks again.
    Array.prototype.forEach.call(document.querySelectorAll("article.post"), function (post) {
      var visible = (!platform || post.dataset.platform === platform) &&
        (!language || post.dataset.language === language) &&
        (!onlyProblems || post.dataset.status !== "ok");
      post.hidden = !visible;
      if (visible) { count += 1; }
    });
    document.querySelectorAll("section.day").forEach(function (day) {
      day.hidden = !day.querySelector("article.post:not([hidden])");
    });
    shown.textContent = count + " shown";
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
}());
