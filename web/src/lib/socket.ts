/** One socket.io connection per signed-in tab, authenticated with the current access token. */
import { io, type Socket } from "socket.io-client";
import { session } from "./session";

let socket: Socket | null = null;

export function getSocket(): Socket | null {
  return socket;
}

export function connectSocket(): Socket {
  if (socket) return socket;
  const s = io({
    path: "/socket.io",
    // A function, so every (re)connect uses the newest token after a silent refresh.
    auth: (cb) => cb({ token: session.get()?.accessToken ?? "" }),
    transports: ["websocket", "polling"],
  });
  s.on("connect_error", (err) => {
    if (err.message === "TOKEN_EXPIRED") void session.refresh().then((ok) => ok && s.connect());
  });
  socket = s;
  return s;
}

export function disconnectSocket(): void {
  socket?.disconnect();
  socket = null;
}
