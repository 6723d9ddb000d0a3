"""One module per simulated service; see :mod:`osnb.democloud.app` for the interface."""
