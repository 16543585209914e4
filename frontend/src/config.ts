// Build-time settings (Vite env, see README): contact details shown on the
// service page and the address of the "Heeft u een goed idee?" link.
const env = import.meta.env;

export const config = {
  feedbackEmail: (env.VITE_PORTAL_FEEDBACK_EMAIL as string | undefined) || 'feedback@werkgeversportaal.example',
  serviceEmail: (env.VITE_PORTAL_SERVICE_EMAIL as string | undefined) || 'service@werkgeversportaal.example',
  servicePhone: (env.VITE_PORTAL_SERVICE_PHONE as string | undefined) || '088 - 000 00 00',
};
