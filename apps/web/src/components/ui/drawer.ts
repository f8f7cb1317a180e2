// Mantine's Drawer on its own: DeferredDrawer loads this module the first time a drawer opens.
export { Drawer } from '@mantine/core';
