package dev.hookbus.web;

/** A verticle with a server; tells the port it got (useful after listening on port 0). */
public interface Listening {
  int actualPort();
}
