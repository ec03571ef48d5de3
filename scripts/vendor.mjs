// Copy the browser libraries from node_modules into static/vendor (idempotent).
import { cpSync, existsSync, mkdirSync } from "node:fs";

const copies = [
  ["node_modules/leaflet/dist/leaflet.js", "static/vendor/leaflet/leaflet.js"],
  ["node_modules/leaflet/dist/leaflet.css", "static/vendor/leaflet/leaflet.css"],
  ["node_modules/leaflet/dist/images", "static/vendor/leaflet/images"],
];
for (const [from, to] of copies) {
  if (!existsSync(from)) throw new Error(`missing ${from}: run npm ci`);
  mkdirSync(to.replace(/\/[^/]+$/, ""), { recursive: true });
  cpSync(from, to, { recursive: true });
}
