/** @type {import('tailwindcss').Config} */
// Tailwind v3 (pinned in package.json). Build with `npm run build:css`;
// the output static/css/app.css is committed so `go run .` needs no Node.
// Class names must appear literally in these files (never "bg-" + color).
module.exports = {
  content: ["./views/**/*.templ", "./views/**/*.go", "./app/web/**/*.go", "./static/js/app.js"],
  theme: { extend: {} },
  plugins: [],
};
