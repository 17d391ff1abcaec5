// `make css`: Bootstrap 5.3 cut down to the selectors our pages use (PurgeCSS), written to
// static/vendor/bootstrap/bootstrap.min.css. Content scanned: every template, our JavaScript,
// Python that emits classes, and crispy-forms' Bootstrap 5 templates (CRISPY_TEMPLATES).
// The admin has its own CSS and never loads this file.
const fs = require("fs");
const path = require("path");
const { PurgeCSS } = require(path.resolve(".cache/cssbuild/node_modules/purgecss"));

const crispy = process.env.CRISPY_TEMPLATES;
if (!crispy || !fs.existsSync(crispy)) throw new Error("Set CRISPY_TEMPLATES to crispy_bootstrap5's folder");
const bootstrap = ".cache/cssbuild/node_modules/bootstrap/dist/css/bootstrap.min.css";
const output = "static/vendor/bootstrap/bootstrap.min.css";

new PurgeCSS()
  .purge({
    css: [bootstrap],
    content: [
      "templates/**/*.html",
      "static/js/**/*.js",
      "{culturecenter,activities,lending,feedback}/**/*.py",
      `${crispy}/**/*.{html,py}`,
    ],
    // crispy's layouts that no form of ours uses: they alone would pull in cards, tabs, modals, tables.
    skippedContentGlobs: ["accordion", "tab", "modal", "formset", "floating", "prepended", "with_buttons", "switch"].map(
      (name) => `${crispy}/**/*${name}*.html`,
    ),
    // alert-{{ message.tags }} is put together in a template; elements and input types may come
    // from Django's widgets and from content typed in the admin: keep Bootstrap's reboot of them.
    safelist: {
      standard: [/^alert-(debug|info|success|warning)$/, /^(fieldset|legend|textarea|optgroup|output|hr|mark|sup|sub|pre|code|samp|abbr|tfoot|iframe)$/],
    },
    dynamicAttributes: ["type"],
  })
  .then(([result]) => {
    // The source map describes the whole of Bootstrap, not this cut: drop its reference.
    fs.writeFileSync(output, `${result.css.replace(/\/\*#\s*sourceMappingURL=.*?\*\//, "").trim()}\n`);
    console.log(`${output}: ${fs.statSync(output).size} bytes`);
  });
