"""What every feature's handlers share: the typed context, short callback data, buttons, pickers,
labels, the middleware that resolves who is acting, help, the menu, errors and the fallbacks."""
