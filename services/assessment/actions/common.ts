/** Params that more than one group of actions declares. */
import { YEAR } from "../../../shared/params";

export const OPTIONAL_YEAR = { ...YEAR, optional: true } as const;
