// Small progressive enhancements; every page works without them.
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('[data-open-dialog]').forEach((btn) => {
    btn.addEventListener('click', () => document.getElementById(btn.dataset.openDialog)?.showModal());
  });
  document.querySelectorAll('[data-close-dialog]').forEach((btn) => {
    btn.addEventListener('click', () => document.getElementById(btn.dataset.closeDialog)?.close());
  });
  document.querySelectorAll('dialog[data-show="1"]').forEach((d) => d.showModal());
  // Filter forms: leave empty fields out of the address so links stay short and readable.
  document.querySelectorAll('form.filters').forEach((form) => {
    form.addEventListener('submit', () => {
      form.querySelectorAll('input, select').forEach((el) => { if (!el.value) el.disabled = true; });
    });
    // Coming back through the browser's history must find the form usable again.
    window.addEventListener('pageshow', () => form.querySelectorAll(':disabled').forEach((el) => { el.disabled = false; }));
  });
  // Dependent selects: offer only the options that belong to the chosen parent
  // (platforms of a district, chains of an industry). Options without a parent always stay.
  document.querySelectorAll('select[data-parent]').forEach((child) => {
    const parent = document.getElementById(child.dataset.parent);
    const map = JSON.parse(child.dataset.map || '{}');
    if (!parent) return;
    const sync = () => {
      for (const opt of child.options) {
        const owner = map[opt.value];
        const fits = !opt.value || !owner || !parent.value || owner === parent.value;
        opt.hidden = !fits;
        opt.disabled = !fits;
        if (!fits && opt.selected) child.value = '';
      }
    };
    parent.addEventListener('change', sync);
    sync();
  });
  // Focus the first field with an error so the user sees what to fix.
  const bad = document.querySelector('.has-error input, .has-error select, .has-error textarea');
  if (bad) bad.focus();
});
