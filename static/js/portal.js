// The portal's own behaviour, loaded on every page (the Content-Security-Policy allows no
// inline script). Each part binds to a class, so a page without it costs nothing.
(function () {
  "use strict";

  // A measures plan's suggestion buttons append their text to the field they name.
  document.querySelectorAll("button.use-suggestion").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.target);
      field.value = field.value ? field.value + "\n" + button.dataset.text : button.dataset.text;
      field.focus();
    });
  });

  // Copy buttons (the NACC answer sheet). The clipboard API needs HTTPS (or localhost); an
  // intranet on plain HTTP falls back to selecting the address and the older copy command.
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var done = function () { button.textContent = button.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(button.dataset.copy).then(done);
        return;
      }
      var range = document.createRange();
      range.selectNodeContents(button.previousElementSibling);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (document.execCommand("copy")) { done(); }
    });
  });
})();
