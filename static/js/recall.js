// Review page keys: space shows the answer, 1–4 rate it. No inline script (CSP).
(function () {
  "use strict";
  function reveal() {
    var answer = document.querySelector("[data-recall-answer]");
    var show = document.querySelector("[data-recall-show]");
    if (!answer || !answer.hidden) return false;
    answer.hidden = false;
    if (show) show.hidden = true;
    var first = answer.querySelector("[data-recall-key='3']");
    if (first) first.focus();
    return true;
  }
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("[data-recall-show]")) {
      event.preventDefault();
      reveal();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    if (!document.getElementById("review")) return;
    if (event.key === " ") {
      if (reveal()) event.preventDefault();
      return;
    }
    if (/^[1-4]$/.test(event.key)) {
      var answer = document.querySelector("[data-recall-answer]");
      if (!answer || answer.hidden) return;
      var button = answer.querySelector("[data-recall-key='" + event.key + "']");
      if (button && !button.disabled) {
        event.preventDefault();
        button.disabled = true; // one rating per key press; the claim guards the rest (P6)
        button.form.requestSubmit ? button.form.requestSubmit() : button.form.submit();
      }
    }
  });
})();
