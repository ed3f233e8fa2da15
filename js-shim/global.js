// Classic-script entry (pkg/asynccontext.global.js): installs synchronously, so the very next
// <script> on the page can use AsyncContext.
import { install } from "./install.js";

install();
