// "Add another" buttons for formsets: clone the empty form kept in a <template>, give it the next
// index, and bump the management form's TOTAL_FORMS. No inline script: the CSP forbids it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-formset-add]");
  if (!button) return;
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const template = document.getElementById(`${prefix}-empty`);
  const list = document.getElementById(`${prefix}-list`);
  const index = Number(total.value);
  const html = template.innerHTML.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1));
  list.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = list.lastElementChild.querySelector("input, select, textarea");
  if (first) first.focus();
});
