package dev.hookbus.model;

/** A team a session is assigned to by a stable hash of its id. */
public record Team(String key, String name, String color) {
}
