/** An application that reaches into internal packages: it must not compile. */
module example.walls {
    requires dev.chat852.transport.jdk;
}
