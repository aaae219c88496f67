// The adapter arrives with its own issue; this entry keeps the package buildable and checkable.
export {};
