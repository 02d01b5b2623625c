package dev.pier.server;

/** What a selection key is attached to: the listener or a connection. */
interface Selectable {

    /** Called on the owning loop thread with the key's ready operations. */
    void onReady(int readyOps);

    /** Closes the channel at once; called when the loop stops. */
    void close();

    /** A graceful shutdown has begun: if this belongs to a draining listener, take no new work. */
    void onDrain();
}
