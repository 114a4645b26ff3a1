import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ViewerQuery } from './gql/graphql';

export interface AppContextValue {
  /** Bumped after anything that changes balances; sections refetch on change. */
  version: number;
  refresh: () => void;
  openBuy: () => void;
  viewer: ViewerQuery['viewer'] | null;
}

export const AppContext = createContext<AppContextValue>({
  version: 0,
  refresh: () => {},
  openBuy: () => {},
  viewer: null,
});

export const useApp = () => useContext(AppContext);
