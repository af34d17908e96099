// Dashboard: refresh every card after the tab has been hidden for a while (a new day or
// week may have started). The page works without this file; htmx does the swapping.
(function () {
  "use strict";
  var hiddenAt = null;
  var STALE_MS = 30 * 60 * 1000;
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      hiddenAt = Date.now();
      return;
    }
    if (hiddenAt && Date.now() - hiddenAt > STALE_MS && window.htmx) {
      window.htmx.trigger(document.body, "goalsChanged");
      window.htmx.trigger(document.body, "activityLogged");
    }
    hiddenAt = null;
  });
})();
