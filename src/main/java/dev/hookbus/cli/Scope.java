package dev.hookbus.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Which of Claude Code's settings files: yours ({@code user}), the project's shared one, or your local one in it. */
enum Scope {
  USER, PROJECT, LOCAL;

  static final String CHOICES = "user|project|local";

  /** {@code --scope} takes the lower-case names Claude Code uses. */
  static final class Converter implements ITypeConverter<Scope> {
    @Override
    public Scope convert(String value) {
      return switch (value) {
        case "user" -> USER;
        case "project" -> PROJECT;
        case "local" -> LOCAL;
        default -> throw new TypeConversionException("--scope must be user, project or local, not " + value);
      };
    }
  }
}
