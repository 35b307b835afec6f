/** A user's application on the module path, with the Netty transport. */
module example.netty {
    requires dev.chat852.transport.netty;
}
