package dev.chat852.transport.netty.internal;

/**
 * How many connections are in use and how many wait idle, at one moment.
 *
 * @param leased connections serving an exchange, or being opened for one
 * @param idle open keep-alive connections waiting for the next exchange
 */
public record PoolStats(int leased, int idle) {

    PoolStats plus(PoolStats other) {
        return new PoolStats(leased + other.leased, idle + other.idle);
    }
}
