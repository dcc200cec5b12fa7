// In the isolate, "./re2.js" is the re2js package's ES module, given as text (isolate-module.ts).
export { Matcher, RE2JS } from "re2js";
