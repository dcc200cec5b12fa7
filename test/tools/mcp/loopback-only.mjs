// Preloaded into the reference MCP server (`node --import`): its CLI listens on every
// interface, and test servers must listen on loopback only, so a listen() given just a port
// is given 127.0.0.1 as well.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const portOnly = (typeof args[0] === "number" || (typeof args[0] === "string" && /^\d+$/.test(args[0]))) && (args.length === 1 || typeof args[1] === "function");
  if (portOnly) args.splice(1, 0, "127.0.0.1");
  return listen.apply(this, args);
};
