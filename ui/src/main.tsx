/** The console's entry: mounts the app into the page shell (ui/index.html). */
import { render } from "preact";
import { App } from "./app";
import "./styles.css";

render(<App />, document.getElementById("app")!);
