/** A user's application on the module path, with the JDK transport. */
module example.jdk {
    requires dev.chat852.transport.jdk;
}
