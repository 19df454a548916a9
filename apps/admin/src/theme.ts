import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 6, dark: 5 },
  defaultRadius: 'md',
  fontFamily: 'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Button: { defaultProps: { radius: 'md' } },
    Paper: { defaultProps: { radius: 'md' } },
    Card: { defaultProps: { radius: 'md', withBorder: true } },
    Modal: { defaultProps: { radius: 'md', centered: true } },
    // A badge is as wide as its label. Mantine's hides the label's overflow, which lets a table column or a row of
    // flex items squeeze it to "H…", "DO…" or an empty dot; a visible label keeps its full width in the layout.
    Badge: { styles: { root: { flexShrink: 0 }, label: { overflow: 'visible', textOverflow: 'clip' } } },
    // A long last crumb (a campaign's name) wraps instead of pushing the page wider than a phone's screen.
    Breadcrumbs: { styles: { root: { flexWrap: 'wrap', rowGap: 2 }, breadcrumb: { overflowWrap: 'anywhere', minWidth: 0 } } },
  },
});
