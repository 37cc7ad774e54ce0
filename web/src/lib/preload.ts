/** The chunks after login: the shell (menu, bell, socket.io) and My page. */
export const loadShell = () => import("../layout/Shell");
export const loadMy = () => import("../pages/people/My");
