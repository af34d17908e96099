// Paperstreak: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function detectTimezone(root) {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) {
      return;
    }
    if (!zone) return;
    root.querySelectorAll("input[data-detect-timezone]").forEach(function (input) {
      if (!input.value || input.value === "UTC") input.value = zone;
    });
  }

  function focusFirstError(root) {
    var field = root.querySelector('[aria-invalid="true"]');
    if (field && typeof field.focus === "function") field.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    detectTimezone(document);
    focusFirstError(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    focusFirstError(event.detail.target || document);
  });

  // Buttons that ask before a destructive action (data-confirm="…"), without inline JS.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
})();
