// Small media the conformance agent answers: a 1x1 red PNG and a 0.1 s silent WAV.

/** A 1x1 red pixel, PNG (RGB, 8 bits per channel), base64. */
export const redPixelPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';

/** The same PNG as bytes (what a binary resource handler answers). */
export const redPixelPngBytes: Uint8Array = new Uint8Array(Buffer.from(redPixelPng, 'base64'));

/** A silent WAV: PCM, mono, 16 bits, 8 kHz, `samples` samples (default 800 = 0.1 s), base64. */
export function silentWav(samples = 800): string {
  const rate = 8000;
  const bytesPerSample = 2;
  const data = samples * bytesPerSample;
  const wav = Buffer.alloc(44 + data); // samples stay zero: silence
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * bytesPerSample, 28); // byte rate
  wav.writeUInt16LE(bytesPerSample, 32); // block align
  wav.writeUInt16LE(8 * bytesPerSample, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  return wav.toString('base64');
}
