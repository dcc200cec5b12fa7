/**
 * The console's shell: the sign-in form until there is a key, then the navigation and the view
 * the URL names. Every view's URL is stable, so any of them can be bookmarked or shared.
 */
import { useEffect, useState } from "preact/hooks";
import { apiKey, onSessionChange, signOut } from "./api/session";
import { Link, navigate, useLocation, type Location } from "./lib/router";
import { ChainEditor } from "./views/chain-editor";
import { Chains } from "./views/chains";
import { Chat } from "./views/chat";
import { Events } from "./views/events";
import { Providers } from "./views/providers";
import { RunInspector } from "./views/run-inspector";
import { RunReplayView } from "./views/run-replay";
import { Runs } from "./views/runs";
import { SignIn } from "./views/sign-in";
import { Tools } from "./views/tools";
import { Triggers } from "./views/triggers";

const SECTIONS = [
  ["chat", "Chat"],
  ["runs", "Runs"],
  ["chains", "Chains"],
  ["tools", "Tools"],
  ["providers", "Providers"],
  ["triggers", "Triggers"],
  ["events", "Events"],
] as const;

function view(location: Location) {
  const [, ui, section, id, sub] = location.path.split("/").map(decodeURIComponent);
  if (ui !== "ui") return null;
  switch (section) {
    case "chat":
      return <Chat location={location} />;
    case "runs":
      if (id && sub === "replay") return <RunReplayView key={id} id={id} location={location} />;
      return id ? <RunInspector key={id} id={id} location={location} /> : <Runs location={location} />;
    case "chains":
      return id ? <ChainEditor key={id} id={id === "new" ? null : id} /> : <Chains />;
    case "tools":
      return <Tools />;
    case "providers":
      return <Providers />;
    case "triggers":
      return <Triggers />;
    case "events":
      return <Events location={location} />;
    default:
      return null;
  }
}

export function App() {
  const [signedIn, setSignedIn] = useState(apiKey() !== null);
  useEffect(() => onSessionChange(() => setSignedIn(apiKey() !== null)), []);
  const location = useLocation();
  const content = view(location);
  useEffect(() => {
    if (!content) navigate("/ui/runs", { replace: true });
  }, [content === null]);
  if (!signedIn) return <SignIn />;
  const section = location.path.split("/")[2];
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/ui/runs" class="brand">
          Switchyard
        </Link>
        <nav aria-label="Sections">
          {SECTIONS.map(([path, label]) => (
            <Link key={path} href={`/ui/${path}`} aria-current={section === path ? "page" : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <button type="button" class="sign-out" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">{content}</main>
    </>
  );
}
