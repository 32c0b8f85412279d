// pantau console: keyboard shortcuts for the review path. No network requests, no dependencies.
// An element with data-shortcut="x" is clicked (buttons), opened (details) or focused (fields) when
// "x" is pressed outside a text field; Ctrl+Enter in a form's text area submits it with its first button.
(function () {
  "use strict";
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey && event.key === "Enter" && event.target.tagName === "TEXTAREA" && event.target.form) {
      var first = event.target.form.querySelector("button[type=submit]");
      if (first) { event.preventDefault(); first.click(); }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var element = document.querySelector('[data-shortcut="' + event.key.replace(/["\\]/g, "") + '"]');
    if (!element) { return; }
    event.preventDefault();
    if (element.tagName === "DETAILS") {
      element.open = !element.open;
      element.querySelector("summary").focus();
    } else if (element.tagName === "TEXTAREA" || element.tagName === "INPUT") {
      element.focus();
    } else {
      element.click();
    }
  });
}());
