"""Places: the offline gazetteer, which names are toponyms, and which place each one means."""
