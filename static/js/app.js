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

  // Every message can be dismissed; the button is added here because the CSP allows no
  // inline handlers and a page without JS simply keeps its messages.
  function addDismissButtons(root) {
    root.querySelectorAll(".message:not(form)").forEach(function (message) {
      if (message.querySelector(".message-close")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "message-close";
      button.setAttribute("aria-label", "Dismiss");
      button.textContent = "×";
      message.appendChild(button);
    });
  }

  // Wide heatmaps and charts scroll inside their card; open them at today (the right end).
  function scrollToToday(root) {
    root.querySelectorAll("[data-scroll-end]").forEach(function (box) {
      box.scrollLeft = box.scrollWidth;
    });
  }

  function enhance(root) {
    addDismissButtons(root);
    scrollToToday(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    detectTimezone(document);
    focusFirstError(document);
    enhance(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    focusFirstError(event.detail.target || document);
  });

  document.addEventListener("htmx:load", function (event) {
    enhance(event.detail.elt && event.detail.elt.querySelectorAll ? event.detail.elt : document);
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest(".message-close");
    if (close) close.parentElement.remove();
  });

  // A confirmation stays until the user's next action: the next form sent clears the
  // confirmations from earlier ones (its own answer brings a new one).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || elt.tagName !== "FORM" || (elt.method || "").toLowerCase() !== "post") return;
    document.querySelectorAll("[data-transient]").forEach(function (message) {
      message.remove();
    });
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
