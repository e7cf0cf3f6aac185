// Error summary: following the link to a field puts the focus into the
// field with its label in view. Without this, browsers only scroll to the
// field; the links still work without JavaScript.
"use strict";
document.addEventListener("click", (ev) => {
  const link = ev.target.closest(".error-summary a[href^='#']");
  if (!link) return;
  const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) return;
  // A group of checkboxes or selects (fieldset) gets the focus on its first control.
  const field = target.matches("input, select, textarea, button") ? target : target.querySelector("input, select, textarea, button");
  if (!field) return;
  ev.preventDefault();
  const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
  const legend = target.matches("fieldset") ? target.querySelector("legend") : null;
  (legend || label || field).scrollIntoView({block: "start"});
  field.focus({preventScroll: true});
});
