// Behaviour shared by every page. It lives in this file, never in inline scripts or
// on*= attributes, so that the Content Security Policy can forbid both.
"use strict";

// A select marked data-submit-on-change submits its form when a value is chosen
// (the language switch); without JavaScript its form has a button instead.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-submit-on-change]");
  if (select && select.form) {
    select.form.submit();
  }
});

// A button marked data-print prints the page (statements, recovery codes).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
