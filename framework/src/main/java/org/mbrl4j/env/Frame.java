package org.mbrl4j.env;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * One rendered RGB frame: {@code height × width} pixels, row-major, three bytes (R, G, B) per pixel, as Gymnasium's
 * {@code render_mode="rgb_array"} returns it.
 *
 * @param height pixel rows
 * @param width  pixel columns
 * @param rgb    {@code height × width × 3} bytes
 */
public record Frame(int height, int width, byte[] rgb) {

    /** Checks the size. */
    public Frame {
        if (height < 1 || width < 1 || rgb.length != height * width * 3) {
            throw new IllegalArgumentException("a frame of " + height + "×" + width + " needs " + height * width * 3
                    + " RGB bytes, got " + rgb.length);
        }
    }

    /** The colour of pixel ({@code row}, {@code col}) as 0xRRGGBB. */
    public int pixel(int row, int col) {
        int i = (row * width + col) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | rgb[i + 2] & 0xff;
    }

    /** Writes the frame as a PNG file. */
    public void writePng(Path file) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                img.setRGB(c, r, pixel(r, c));
            }
        }
        try {
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
