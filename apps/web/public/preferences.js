/*
 * Applies this device's display preferences before the first paint (index.html loads it, blocking,
 * before the app; the Content-Security-Policy allows no inline script). The same attributes as
 * src/lib/preferences.ts `applyPreferencesToDocument` and Mantine's colour scheme: keep them in step.
 */
/* global document, window -- a script of the page, before the app */
(function () {
  var root = document.documentElement;
  var read = function (key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  };
  var preferences;
  try {
    preferences = JSON.parse(read('atrium-preferences') || '{}') || {};
  } catch {
    preferences = {};
  }
  var scheme = read('mantine-color-scheme-value') || preferences.colorScheme;
  if (scheme !== 'light' && scheme !== 'dark') {
    scheme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  root.setAttribute('data-mantine-color-scheme', scheme);
  if ([1.125, 1.25, 1.5].indexOf(preferences.fontScale) !== -1) root.style.fontSize = preferences.fontScale * 100 + '%';
  if (preferences.reduceMotion === true) root.setAttribute('data-reduce-motion', '');
  if (preferences.highContrast === true) root.setAttribute('data-high-contrast', '');
  root.setAttribute(
    'data-density',
    ['compact', 'spacious'].indexOf(preferences.density) !== -1 ? preferences.density : 'comfortable',
  );
})();
