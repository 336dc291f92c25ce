// typed-pickle/connection: being built (issue 14/15); this entry is filled before the work lands.
export {};
