import { AppError } from '../../errors';

/**
 * Downloads a reference-rate file. A network failure, a timeout or an answer other than 2xx is
 * DEPENDENCY_UNAVAILABLE (retried by the import's activity); the body is read as UTF-8 text.
 */
export async function downloadReferenceRates(url: string, timeoutMs = 30_000): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/xml, text/xml, text/csv;q=0.9, */*;q=0.1' },
    });
  } catch (error) {
    throw new AppError('DEPENDENCY_UNAVAILABLE', `the reference rates could not be downloaded from ${url}`, {
      details: { url },
      cause: error,
    });
  }
  if (!response.ok) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `the reference rates at ${url} answered ${response.status} ${response.statusText}`,
      { details: { url, status: response.status } },
    );
  }
  return response.text();
}
